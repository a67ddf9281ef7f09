import '@testing-library/jest-dom';

// Component tests render the whole page in jsdom; on a loaded CI machine the
// default 5 s is not enough for the slowest (measured: 26 s under load).
jest.setTimeout(30_000);
