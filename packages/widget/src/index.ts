export type { Theme } from './components/context.js';
export type { Digits } from './i18n/plural.js';
export type { HiwarWidget, MountOptions } from './mount.js';
export { mount } from './mount.js';
