import { markBuilt } from './build';

// After `npm run build`: remember when, so `npm start` does not build again.
markBuilt();
