/** A stylesheet imported as text (Vite's `?inline`), to be adopted by the shadow root. */
declare module '*.css?inline' {
  const css: string;
  export default css;
}
