/**
 * `run <library script> [-parameters "<args>"]`: fetches the script from the library and runs it as
 * the batch RunScript does (interpreter from its name and first line, minimal environment, its own
 * process group), in the session directory, streaming stdout and stderr as they are produced. The
 * script's exit code is the command's; a non-zero one is still Completed (MDE reports it, §4.10).
 */
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { CommandError, spawnScript, splitArgs } from '../../executors/live-response/index.js';
import { withConsoleRun } from './library-run.js';
import { failed, type LiveCommandModule } from '../types.js';

export const run: LiveCommandModule = {
  async run(ctx) {
    let script: string | undefined;
    let params = '';
    for (let i = 0; i < ctx.argv.length; i++) {
      if (ctx.argv[i]!.toLowerCase() === '-parameters') params = ctx.argv[++i] ?? '';
      else script = ctx.argv[i];
    }
    if (!script || script.includes('/')) return failed('Usage: run <library script> [-parameters "<args>"]');
    const split = splitArgs(params);
    if (!split.ok) return failed(`-parameters: ${split.error}`);
    const args = split.argv;
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    try {
      const res = await withConsoleRun(ctx, (r) => spawnScript(r, script, args), {
        scriptCwd: ctx.cwd,
        onOutput: (stream, chunk) => ctx.write(decoders[stream].write(chunk)),
      });
      ctx.write(decoders.stdout.end() + decoders.stderr.end());
      ctx.signal.throwIfAborted();
      if (res.timedOut) return failed(`${script} timed out and was killed`);
      const signalNumber = res.signal ? (constants.signals as Record<string, number>)[res.signal] : undefined;
      const exitCode = Math.min(255, res.exitCode ?? 128 + (signalNumber ?? 0));
      return { exitCode, ...(exitCode !== 0 ? { errors: [`${script} exited with code ${exitCode}`] } : {}) };
    } catch (e) {
      if (e instanceof CommandError) return failed(e.message);
      throw e;
    }
  },
};
