import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * JSON Schema of mmgate.yaml for editors (yaml-language-server: `# yaml-language-server:
 * $schema=…/docs/mmgate.schema.json`). The committed copy is kept in sync by a test.
 */
export function configJsonSchema(): Record<string, unknown> {
  // io: 'input' describes what users write (defaults make keys optional).
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'mmgate.yaml', description: 'Configuration of mmgate, the go/no-go gate for Mattermost upgrades on Kubernetes.' };
}
