export * from './adminApi';
export * from './publicApi';
