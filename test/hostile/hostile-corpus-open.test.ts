/**
 * The hostile-input corpus in open mode (issue 14, point 2): no tokens, X-Demo-Person names the
 * caller. See test/support/hostile-corpus.ts.
 */
import { describeHostileCorpus } from '../support/hostile-suite.js';

describeHostileCorpus('open');
