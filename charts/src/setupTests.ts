// The chart tests start real processes (gateway, portal plugins) and Helm;
// a loaded CI machine needs more than jest's 5 s default.
jest.setTimeout(60_000);
