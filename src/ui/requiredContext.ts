/**
 * A React context that must be provided: its hook throws, naming the missing provider, instead of handing a
 * component null. The app's services and the key-value views' services are both provided once by the composition
 * root and read this way.
 */
import { createContext, useContext, type Context } from 'react';

export function createRequiredContext<T>(name: string): readonly [Context<T | null>, () => T] {
  const context = createContext<T | null>(null);
  function useRequired(): T {
    const value = useContext(context);
    if (!value) throw new Error(`${name} is missing: render inside <${name}.Provider>`);
    return value;
  }
  return [context, useRequired];
}
