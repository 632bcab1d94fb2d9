/**
 * A message: a string with `{name}` placeholders, or plural forms chosen by the `count` value
 * (the categories of Intl.PluralRules; `other` always, the rest as the language needs them).
 */
export type Message = string | PluralMessage;

export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

/** The placeholder names in a message, as a union of string literals (never when there are none). */
type NamesIn<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | NamesIn<Rest> : never;

export type Placeholders<M> = M extends string ? NamesIn<M> : M extends PluralMessage ? NamesIn<M[keyof M]> | 'count' : never;
