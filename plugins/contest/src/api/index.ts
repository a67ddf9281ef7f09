export { contestApiRef, type ContestApi } from './ContestApi';
export { ContestClient } from './ContestClient';
