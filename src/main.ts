import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/load-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  Logger.log(`Switchyard listening on ${await app.getUrl()} (API docs at /docs)`, 'Main');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      Logger.log(`${signal} received: finishing requests in flight, then stopping`, 'Main');
      // close() stops accepting connections, waits for requests in flight, then runs the shutdown hooks.
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // A bad configuration gets one line that says what to fix; anything else its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
