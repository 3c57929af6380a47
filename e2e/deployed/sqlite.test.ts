/** The deployed suite on the default engine: one `cordon server` on embedded SQLite. */
import { describeDeployedSuite } from './suite.js';

describeDeployedSuite({ engine: 'sqlite', title: 'deployed: server on SQLite, agent on a Linux device' });
