import css from './styles/widget.css?inline';

let sheet: CSSStyleSheet | undefined;

/**
 * The widget's one stylesheet, constructed once and adopted by every widget's
 * shadow root: no `<style>` element and no inline style, so a strict
 * Content-Security-Policy needs no `unsafe-inline`.
 */
export function styleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}
