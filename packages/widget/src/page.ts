/**
 * The address of the page the widget is on: its `<link rel="canonical">`, else
 * its location without the fragment.
 */
export function pageUrl(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"][href]');
  return canonical?.href || location.href.split('#')[0] || location.href;
}

/** The id in a `#comment-<id>` fragment, or null. */
export function permalinkId(hash: string): string | null {
  return /^#comment-([1-9]\d{0,17})$/.exec(hash)?.[1] ?? null;
}
