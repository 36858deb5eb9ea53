export * from './identity';
export * from './customers';
export * from './machines';
export * from './contracts';
export * from './workforce';
