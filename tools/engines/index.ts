export { startEngineServer, type EngineFaults, type EngineServer, type EngineServerOptions, type RecordedRequest } from './server.ts';
