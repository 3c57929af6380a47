import { Option, type Command } from 'commander';
import { clientCredentialsTokenSource } from '@cordon/api-client';
import { profilePath, saveProfile, type Profile } from '../analyst/profile.js';
import { printJson, printLine, run } from '../analyst/output.js';

interface LoginOptions {
  server: string;
  tenant: string;
  clientId?: string;
  clientSecret?: string;
  token?: string;
  profile?: string;
  json?: boolean;
}

/**
 * `cordon login --server URL --tenant T --client-id ID --client-secret S`: verifies the credentials
 * by fetching a token, then saves the profile (mode 0600). `--token` saves a bearer token from a
 * user sign-in instead; it is stored unverified because it cannot be refreshed anyway.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('save a server profile for the analyst commands (verifies client credentials by fetching a token)')
    .addOption(new Option('--server <url>', 'server URL').env('CORDON_SERVER').makeOptionMandatory())
    .addOption(new Option('--tenant <id>', 'tenant id').env('CORDON_TENANT').makeOptionMandatory())
    .addOption(new Option('--client-id <id>', 'application (client) id').env('CORDON_CLIENT_ID'))
    .addOption(new Option('--client-secret <secret>', 'application secret').env('CORDON_CLIENT_SECRET'))
    .addOption(new Option('--token <jwt>', 'a bearer token from a user sign-in, instead of client credentials').env('CORDON_TOKEN'))
    .addOption(new Option('--profile <file>', 'where to save the profile').env('CORDON_PROFILE'))
    .option('--json', 'print the saved profile (without secrets) as JSON')
    .action(
      run(async (opts: LoginOptions) => {
        const server = opts.server.replace(/\/+$/, '');
        let profile: Profile;
        if (opts.clientId && opts.clientSecret) {
          const creds = { serverUrl: server, tenantId: opts.tenant, clientId: opts.clientId, clientSecret: opts.clientSecret };
          await clientCredentialsTokenSource(creds).getToken();
          profile = { server, tenant: opts.tenant, clientId: opts.clientId, clientSecret: opts.clientSecret };
        } else if (opts.token) {
          profile = { server, tenant: opts.tenant, token: opts.token };
        } else {
          throw new Error('pass --client-id and --client-secret (or --token)');
        }
        const path = opts.profile ?? profilePath();
        await saveProfile(path, profile);
        const shown = { server, tenant: opts.tenant, clientId: profile.clientId ?? null, profile: path };
        if (opts.json) printJson(shown);
        else printLine(`signed in to ${server} (tenant ${opts.tenant}); profile saved to ${path}`);
      }),
    );
}
