// Refuse `npm install` / `yarn` at the root: the workspace protocol and catalog need pnpm.
const agent = process.env.npm_config_user_agent ?? ''
if (!agent.startsWith('pnpm/')) {
  console.error('This workspace uses pnpm. Run `npm test` or `npm run demo` (they install pnpm), or `pnpm install`.')
  process.exit(1)
}
