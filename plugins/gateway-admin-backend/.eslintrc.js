module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // expectMigrationsUpAndDown (@flagstage/test-utils) asserts too.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
