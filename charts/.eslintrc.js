module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // files/observability links to observability/, linted as its own package.
  ignorePatterns: ['flagstage/**'],
  rules: {
    // This package only tests the chart against the code it installs: it
    // reuses the deployment worker's manifest validators, RBAC evaluator and
    // Kubernetes classes by import (one copy), from the packages' sources.
    '@backstage/no-forbidden-package-imports': 'off',
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
