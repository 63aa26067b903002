/** Insights page entry (dashboard.md D54–D57): credential, then the page (insights/page.ts). */
import { boot } from '../app/boot.js'
import { startInsights } from '../insights/page.js'

const root = document.getElementById('app')
if (root !== null) boot(root, (booted) => startInsights(booted, root))
