import { takeSharedServer } from './shared-server';

export default async function globalTeardown(): Promise<void> {
  await takeSharedServer()?.stop();
}
