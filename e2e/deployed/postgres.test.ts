/**
 * The deployed suite on PostgreSQL with two server processes: the agent enrolls through (and stays
 * connected to) the first, every action is created through the second. A database is created and
 * dropped for the run (CORDON_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import { describeDeployedSuite } from './suite.js';

describeDeployedSuite({ engine: 'postgres', title: 'deployed: two servers on PostgreSQL, agent on a Linux device' });
