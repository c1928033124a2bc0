import type { Command } from 'commander';
import { CofferError } from '../../../shared/errors';
import type { Action } from '../program';
import { print } from '../output';

/** `coffer serve`: the REST API of docs/rest.md on 127.0.0.1, until Ctrl-C or SIGTERM. */
export function registerServeCommand(program: Command, run: Action): void {
  program
    .command('serve')
    .description('serve the REST API (service accounts, secret reads) on 127.0.0.1; OpenAPI at /api/openapi.json')
    .option('--port <port>', 'the port (default: any free one)')
    .action(
      run(async (ctx, o: { port?: string }) => {
        const port = o.port === undefined ? undefined : Number(o.port);
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CofferError('VALIDATION', 'the port is a number from 0 to 65535', 'port');
        const { startRestServer } = await import('../../server/rest.js');
        const rest = await startRestServer(await ctx.open(), { port });
        print(`Coffer REST API: ${rest.url} (OpenAPI at ${rest.url}/api/openapi.json); Ctrl-C stops it`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await rest.close();
      }),
    );
}
