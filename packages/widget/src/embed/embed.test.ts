// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Runs embed.js as if the browser had just reached this script tag. */
async function runEmbed(attributes: Record<string, string>) {
  const script = document.createElement('script');
  script.type = 'text/plain'; // read by the code under test, never loaded by the test DOM
  script.src = 'https://comments.example/embed.js';
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.body.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  vi.resetModules();
  await import('./embed.js');
  return script;
}

let errors: string[];
beforeEach(() => {
  (globalThis as { __HIWAR_APP__?: string }).__HIWAR_APP__ = 'app-test.js';
  document.body.innerHTML = '<p>article</p>';
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((message: string) => void errors.push(message));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('embed.js', () => {
  it('explains a missing data-site on the console and changes nothing', async () => {
    await runEmbed({});
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Hiwar: add data-site=/);
    expect(document.querySelector('[data-hiwar]')).toBeNull();
  });

  it('mounts right after itself when the page has no [data-hiwar], and names bad attributes', async () => {
    const script = await runEmbed({ 'data-site': 'news', 'data-theme': 'purple', 'data-loading': 'lazy' });
    const el = script.nextElementSibling as HTMLElement;
    expect(el.hasAttribute('data-hiwar')).toBe(true);
    expect(errors).toEqual(['Hiwar: data-theme="purple" is not one of ^(auto|light|dark)$; ignored.']);
  });

  it('uses the page’s [data-hiwar] element, and shows words, not a blank box, when the app cannot load', async () => {
    document.body.innerHTML = '<div id="here" data-hiwar></div>';
    await runEmbed({ 'data-site': 'news', 'data-loading': 'eager' });
    const el = document.getElementById('here') as HTMLElement;
    await vi.waitFor(() => expect(el.textContent).toBe('تعذّر تحميل التعليقات.'));
    expect(errors.at(-1)).toMatch(/^Hiwar: https:\/\/comments\.example\/app-test\.js did not load/);
  });
});
