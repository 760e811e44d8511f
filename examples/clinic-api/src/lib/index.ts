// Shared helpers of the service.
export * from './logger';
export * from './dates';
