// The WHATWG URL class exists in every runtime Hiwar targets (browsers, Node ≥ 20),
// but this package takes neither the DOM's nor Node's types: declare what it uses.
declare class URL {
  constructor(url: string, base?: string | URL);
  static canParse(url: string, base?: string | URL): boolean;
  href: string;
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
  origin: string;
  readonly searchParams: {
    keys(): IterableIterator<string>;
    getAll(name: string): string[];
    delete(name: string): void;
    sort(): void;
    toString(): string;
  };
}
