/**
 * The links a comment carries, for the site's `holdLinks` rule: the anchors of its
 * rendered HTML (every http(s) URL in the body is linked by the renderer, as a
 * markdown link or an autolink) plus the URLs written into the name. WordPress's
 * `comment_max_links` counts the same way, on the text of the comment.
 * The website field is the author's own link and does not count.
 *
 * @example
 * countLinks('<p><a href="https://a.example">a</a></p>', 'see www.spam.example') // → 2
 */
export function countLinks(html: string, name: string): number {
  const anchors = html.match(/<a\s[^>]*href=/gi)?.length ?? 0;
  const inName = name.match(/(?:https?:\/\/|www\.)[^\s]/gi)?.length ?? 0;
  return anchors + inName;
}

/**
 * Whether a comment with `links` links waits for a moderator: `holdLinks` or more
 * of them; a setting of 0 turns the rule off.
 *
 * @example
 * holdsForLinks(2, 2) // → true
 * holdsForLinks(5, 0) // → false
 */
export function holdsForLinks(links: number, holdLinks: number): boolean {
  return holdLinks > 0 && links >= holdLinks;
}
