package io.github.sessiongate.proxy;

import java.io.IOException;
import java.io.InputStream;

/**
 * The browser's request body on its way to the backend, read as it arrives and cut off past a cap:
 * the read that crosses {@code max} bytes fails, which aborts the forward, and {@link #overCap()}
 * tells the proxy to answer 413. A read error of the browser's stream is remembered too
 * ({@link #readFailed()}), so it is not taken for a backend failure. Read by one thread at a time.
 */
final class CappedInput extends InputStream {
    private final InputStream in;
    private final long max;
    private long count;
    private volatile boolean overCap;
    private volatile boolean readFailed;

    CappedInput(InputStream in, long max) {
        this.in = in;
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (overCap) {
            throw new IOException("request body over the route's cap");
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, max - count + 1));
        } catch (IOException e) {
            readFailed = true;
            throw e;
        }
        if (n > 0) {
            count += n;
            if (count > max) {
                overCap = true;
                throw new IOException("request body over the route's cap");
            }
        }
        return n;
    }

    /** Whether the body crossed the cap (the forward was aborted). */
    boolean overCap() {
        return overCap;
    }

    /** Whether reading the browser's body failed (the browser went away or sent a broken body). */
    boolean readFailed() {
        return readFailed;
    }

    @Override
    public void close() {
        // The container owns the request stream.
    }
}
