export * from './identity';
export * from './customers';
export * from './machines';
export * from './contracts';
export * from './workforce';
export * from './tickets';
export * from './sla';
export * from './notifications';
