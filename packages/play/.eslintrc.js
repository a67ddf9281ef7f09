// The contestant app is a standalone Vite SPA, not a Backstage web library:
// it bundles React itself, so React belongs in dependencies, not peers.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-undeclared-imports': 'off',
  },
});
