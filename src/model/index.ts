/** Public surface of the pure domain layer. */
export * from './types';
export * from './backend';
export * from './gpuIdentity';
export * from './homogeneous';
export * from './validation';
export * from './vram';
export * from './partitions';
export * from './capacity';
export * from './plan';
export * from './psQuote';
export * from './messages';
