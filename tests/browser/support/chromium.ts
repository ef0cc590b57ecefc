import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install -y chromium`); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

if (!existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `The browser specs need Chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` as root.`,
  );
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
