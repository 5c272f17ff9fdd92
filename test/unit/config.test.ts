import { ConfigError, loadConfig } from '../../common/config';

const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/fangpin', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to reject the environment');
}

describe('loadConfig', () => {
  test('when the environment is complete, then it parses typed values with defaults', () => {
    const config = loadConfig({ ...valid, API_PORT: '8080', MONGODB_AUTO_INDEX: 'false' });
    expect(config.api.port).toBe(8080);
    expect(config.mongo.autoIndex).toBe(false);
    expect(config.temporal.taskQueue).toBe('fangpin-claims');
  });

  test('when MONGODB_URI is not a mongodb URI, then the error names the variable and what it must be', () => {
    const error = configErrorOf({ ...valid, MONGODB_URI: 'postgres://localhost/x' });
    expect(error.issues).toEqual([{ variable: 'MONGODB_URI', message: expect.stringContaining('mongodb://') }]);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- MONGODB_URI: must be a mongodb:\/\//);
  });

  test('when MONGODB_URI is missing, then the error says it is required', () => {
    const error = configErrorOf({ TEMPORAL_ADDRESS: valid.TEMPORAL_ADDRESS });
    expect(error.issues).toEqual([{ variable: 'MONGODB_URI', message: expect.stringContaining('is required') }]);
  });

  test('when several variables are wrong, then every one is named', () => {
    const error = configErrorOf({ MONGODB_URI: 'nope', API_PORT: '70000', MONGODB_AUTO_INDEX: 'yes' });
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'API_PORT',
      'MONGODB_AUTO_INDEX',
      'MONGODB_URI',
      'TEMPORAL_ADDRESS',
    ]);
  });

  test("when a boolean is spelled 'false', then it is false (never Boolean('false'))", () => {
    expect(loadConfig({ ...valid, MONGODB_AUTO_INDEX: 'false' }).mongo.autoIndex).toBe(false);
    expect(loadConfig({ ...valid, MONGODB_AUTO_INDEX: 'true' }).mongo.autoIndex).toBe(true);
  });

  test('the ops clocks and worker settings parse as durations and counts, and bad ones are named', () => {
    const config = loadConfig({
      ...valid,
      OPS_REVIEW_SLA: '2d',
      OPS_STUCK_AFTER: '90m',
      WORKER_METRICS_ADDRESS: '127.0.0.1:9464',
      WORKER_MAX_CACHED_WORKFLOWS: '500',
      WORKER_STICKY_QUEUE_TIMEOUT: '3s',
      WORKER_WORKFLOW_TASK_SLOTS: '20',
    });
    expect(config.ops).toMatchObject({ sla: { reviewMs: 2 * 86_400_000 }, stuckAfterMs: 90 * 60_000 });
    expect(config.worker).toEqual({
      metricsAddress: '127.0.0.1:9464',
      maxCachedWorkflows: 500,
      stickyQueueTimeoutMs: 3_000,
      workflowTaskSlots: 20,
      workflowBundle: undefined,
    });
    const error = configErrorOf({
      ...valid,
      WORKER_MAX_CACHED_WORKFLOWS: 'many',
      WORKER_METRICS_ADDRESS: '9464',
      WORKER_WORKFLOW_TASK_SLOTS: '1',
    });
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'WORKER_MAX_CACHED_WORKFLOWS',
      'WORKER_METRICS_ADDRESS',
      'WORKER_WORKFLOW_TASK_SLOTS',
    ]);
  });
});
