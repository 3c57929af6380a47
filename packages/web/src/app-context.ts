import { createContext, useContext } from 'react';
import type { CordonClient } from '@cordon/api-client';
import type { Me } from './session.js';

export interface AppContextValue {
  me: Me;
  client: CordonClient;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
