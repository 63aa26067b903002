/** For other test suites (e.g. loophive's "a demo run gives no 4xx and no 207"): the fleet without the CLI. */
export { startFleet, type Fleet, type FleetOptions, type FleetResult } from './fleet.js'
export { STORIES, STORY_IDS, type Story } from './stories/index.js'
