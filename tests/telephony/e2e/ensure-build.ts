import { ensureBuild } from '../../../server/build';

// Builds the console bundle when it is missing or older than the sources.
ensureBuild((message) => console.log(message));
