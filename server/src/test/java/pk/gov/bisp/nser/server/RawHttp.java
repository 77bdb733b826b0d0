package pk.gov.bisp.nser.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a plain socket, for request targets that Java's HTTP client refuses to send (a malformed
 * escape such as {@code %zz}). Reads the whole answer ({@code Connection: close}).
 */
public final class RawHttp {

    /** What came back: the status, the head's text, and the body. */
    public record Answer(int status, String head, String body) {
        String contentType() {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Type")) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    private RawHttp() {
    }

    /** Sends {@code method target} with the header pairs and body (null: none) to 127.0.0.1:{@code port}. */
    public static Answer send(int port, String method, String target, String body, String... headers) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(30_000); // a hang guard, generous for a loaded machine
            StringBuilder req = new StringBuilder(method).append(' ').append(target)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                req.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = sock.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            InputStream in = sock.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            int status = head.length() >= 12 && head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12))
                    : -1;
            return new Answer(status, head, rest);
        }
    }
}
