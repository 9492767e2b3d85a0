package dev.vsa.server.upload;

import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body part by part straight from the request stream, so each file part is an
 * {@link InputStream} read once, in constant memory (commons-fileupload2's streaming API; nothing is buffered to
 * memory or disk). Jetty's own multipart support is not used because it stores whole parts before the handler
 * runs.
 */
public final class MultipartStream {
    private final FileItemInputIterator items;

    private MultipartStream(FileItemInputIterator items) {
        this.items = items;
    }

    /**
     * Starts parsing.
     *
     * @throws IOException if the content type is not multipart or has no boundary
     */
    public static MultipartStream open(String contentType, long contentLength, InputStream body) throws IOException {
        RequestContext rc = new RequestContext() {
            @Override
            public String getCharacterEncoding() {
                return StandardCharsets.UTF_8.name();
            }

            @Override
            public long getContentLength() {
                return contentLength;
            }

            @Override
            public String getContentType() {
                return contentType;
            }

            @Override
            public InputStream getInputStream() {
                return body;
            }
        };
        Parser parser = new Parser();
        parser.setHeaderCharset(StandardCharsets.UTF_8);
        try {
            return new MultipartStream(parser.getItemIterator(rc));
        } catch (FileUploadException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** One part: its form field name, its file name (null for a plain field), its declared type and its bytes. */
    public record Part(String field, String fileName, String contentType, InputStream content) {
    }

    /** The next part, or null at the end. The previous part's stream must be finished with first. */
    public Part next() throws IOException {
        if (!items.hasNext()) {
            return null;
        }
        FileItemInput item = items.next();
        return new Part(item.getFieldName(), item.getName(), item.getContentType(), item.getInputStream());
    }

    /** Only the streaming entry point is used; the "parse into items" half of the base class is not. */
    private static final class Parser extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {
        @Override
        public FileItemInputIterator getItemIterator(RequestContext request) throws FileUploadException, IOException {
            return super.getItemIterator(request);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) {
            throw new UnsupportedOperationException("streaming only");
        }

        @Override
        public List<DiskFileItem> parseRequest(RequestContext request) {
            throw new UnsupportedOperationException("streaming only");
        }
    }
}
