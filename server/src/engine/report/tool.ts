// The tool's identity as reports state it (name, version, home page), read once from the package manifest.
import packageManifest from '../../../../package.json';

export const TOOL_NAME = 'health-data-lint';
export const TOOL_VERSION: string = packageManifest.version;
export const TOOL_INFORMATION_URI = 'https://github.com/health-data-lint/health-data-lint';
