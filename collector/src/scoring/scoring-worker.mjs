// A scoring thread's entry. Worker threads do not inherit the TypeScript loader the collector runs
// under, so the thread registers it before importing the tasks.
import { register } from 'tsx/esm/api';

register();
const { runScoringTask } = await import('./scoring-tasks.ts');

export default runScoringTask;
