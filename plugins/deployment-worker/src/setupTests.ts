// Simulator-driven tests wait on real timers; a loaded CI machine needs
// more than jest's 5 s default.
jest.setTimeout(30_000);
