import '@testing-library/jest-dom';

// Component tests render in jsdom and type into forms; on a loaded CI
// machine the default 5 s is not enough.
jest.setTimeout(30_000);
