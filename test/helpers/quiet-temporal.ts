import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep the SDK's own INFO chatter (worker state changes) out of test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this jest worker process by an earlier test file.
}
