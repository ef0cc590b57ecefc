/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Locator, Page } from 'playwright-core';

/** The form's labels, as the widget shows them. */
export const LABELS = {
  ar: {
    body: 'التعليق',
    name: 'الاسم',
    email: 'البريد الإلكتروني',
    website: 'الموقع الإلكتروني',
    submit: 'إرسال التعليق',
  },
  en: { body: 'Comment', name: 'Name', email: 'Email', website: 'Website', submit: 'Post Comment' },
} as const;

type Lang = keyof typeof LABELS;
type FieldName = 'body' | 'name' | 'email' | 'website';

/**
 * A field of the comment form by its visible label (the accessible name also
 * carries the words for "required"). Playwright's role locators pierce the open
 * shadow root.
 */
export function field(scope: Page | Locator, name: FieldName, lang: Lang = 'ar'): Locator {
  return scope.getByRole('textbox', { name: new RegExp(`^${LABELS[lang][name]}`) });
}

export async function fillForm(
  scope: Page | Locator,
  values: Partial<Record<FieldName, string>>,
  lang: Lang = 'ar',
): Promise<void> {
  for (const [name, value] of Object.entries(values) as [FieldName, string][]) {
    await field(scope, name, lang).fill(value);
  }
}

export function submitButton(scope: Page | Locator, lang: Lang = 'ar'): Locator {
  return scope.getByRole('button', { name: LABELS[lang].submit, exact: true });
}

/** The comment whose body contains `text`. */
export function commentWith(page: Page, text: string): Locator {
  return page.locator('[part~="comment"]', { has: page.locator('[part~="body"]', { hasText: text }) });
}

/** What has focus inside the (first) widget's shadow root, in a few words. */
export function focused(
  page: Page,
  host = '[data-hiwar]',
): Promise<{ tag: string; id: string; text: string; label: string } | null> {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector)?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    if (!el) return null;
    const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? '';
    return { tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent ?? '').trim(), label };
  }, host);
}

/** The text of the elements an element's `aria-describedby` names. */
export function description(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    const root = el.getRootNode() as Document | ShadowRoot;
    return (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent ?? `(missing #${id})`)
      .join(' | ');
  });
}
