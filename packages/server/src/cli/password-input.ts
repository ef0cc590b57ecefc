/** What the CLI reads a password from: the process's stdin, or a test's stream. */
export interface PasswordSource extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding?(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

/** The person at the terminal gave up (Ctrl-C) or the two entries differed. */
export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

/** More than any password the server accepts (1 024 characters) plus its line break. */
const MAX_LINE = 8 * 1024;

/**
 * Reads a new password: on a terminal, asked twice without echo; otherwise the first
 * line of stdin (for scripts: `printf '%s\n' "$PASSWORD" | pnpm hiwar admin create huda`).
 *
 * @example
 * const password = await readNewPassword(process.stdin, process.stderr, 'huda')
 */
export async function readNewPassword(
  stdin: PasswordSource,
  stderr: { write(text: string): unknown },
  username: string,
): Promise<string> {
  if (!stdin.isTTY || !stdin.setRawMode) return readFirstLine(stdin);
  const first = await promptHidden(stdin, stderr, `New password for ${username}: `);
  const second = await promptHidden(stdin, stderr, 'Repeat it: ');
  if (first !== second) throw new PasswordInputError('The two passwords differ; nothing was changed.');
  return first;
}

async function readFirstLine(stdin: PasswordSource): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n') || text.length > MAX_LINE) break;
  }
  return (text.split('\n')[0] as string).replace(/\r$/, '');
}

/** One line typed in raw mode, echoing nothing; Backspace works, Ctrl-C cancels. */
function promptHidden(
  stdin: PasswordSource,
  stderr: { write(text: string): unknown },
  prompt: string,
): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.setEncoding?.('utf8');
  stdin.resume?.();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause?.();
      stderr.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new PasswordInputError('Cancelled; nothing was changed.'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (value.length <= MAX_LINE) value += char;
      }
    };
    stdin.on('data', onData);
  });
}
