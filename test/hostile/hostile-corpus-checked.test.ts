/**
 * The hostile-input corpus in checked mode (issue 14, point 2): Bot Framework channel tokens and
 * Teams SSO tokens from local OpenID issuers, good and bad. See test/support/hostile-corpus.ts.
 */
import { describeHostileCorpus } from '../support/hostile-suite.js';

describeHostileCorpus('checked');
