/** JMH microbenchmarks of the hot paths (row decode and fingerprint, notice building, Kingdee signatures, notice codec) and their short runner. */
package io.kdpipe.bench.micro;
