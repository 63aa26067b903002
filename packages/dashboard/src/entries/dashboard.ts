import { boot } from '../app/boot.js'
import { startDashboard } from '../app/dashboard-app.js'

const root = document.getElementById('app')
if (root !== null) boot(root, (b) => startDashboard({ root, ...b }))
