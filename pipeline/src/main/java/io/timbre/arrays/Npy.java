package io.timbre.arrays;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} format version 1.0, little-endian float32/float64, C order: the interchange format for comparing
 * Timbre's features with librosa ({@code np.load}) and for loading reference arrays in tests.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d+)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /** Element type of a written array. */
  public enum DType {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8);

    private final String descr;
    private final int size;

    DType(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }
  }

  /** A 2-D array read from a .npy file, widened to double. */
  public record Array2D(int rows, int cols, double[] values) {}

  private Npy() {}

  /** Writes a rows × cols C-order array. */
  public static void write(OutputStream out, int rows, int cols, double[] values, DType dtype) throws IOException {
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException("Cannot write npy: " + rows + " × " + cols + " for " + values.length);
    }
    String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols
        + "), }";
    // Header (magic + version + len + dict + '\n') padded with spaces to a multiple of 64 bytes.
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(pad)).append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    out.write(MAGIC);
    out.write(1);
    out.write(0);
    out.write(h.length & 0xff);
    out.write((h.length >> 8) & 0xff);
    out.write(h);
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      if (b.remaining() < 8) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      if (dtype == DType.FLOAT32) {
        b.putFloat((float) v);
      } else {
        b.putDouble(v);
      }
    }
    out.write(b.array(), 0, b.position());
  }

  /** Reads a 1-D or 2-D little-endian float32/float64 C-order array (1-D arrays read as 1 × n). */
  public static Array2D read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[6];
    d.readFully(magic);
    for (int i = 0; i < 6; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IOException("Not a .npy file (bad magic)");
      }
    }
    int major = d.readUnsignedByte();
    d.readUnsignedByte();
    int headerLen;
    if (major == 1) {
      headerLen = d.readUnsignedByte() | (d.readUnsignedByte() << 8);
    } else {
      headerLen = d.readUnsignedByte() | (d.readUnsignedByte() << 8) | (d.readUnsignedByte() << 16)
          | (d.readUnsignedByte() << 24);
      if (headerLen < 0 || headerLen > (1 << 20)) {
        throw new IOException("Unreasonable .npy header length " + headerLen);
      }
    }
    byte[] hb = new byte[headerLen];
    d.readFully(hb);
    String header = new String(hb, StandardCharsets.US_ASCII);
    Matcher m = DESCR.matcher(header);
    Matcher o = ORDER.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!m.find() || !o.find() || !s.find()) {
      throw new IOException("Unreadable .npy header: " + header.trim());
    }
    if (m.group(1).equals(">") || !m.group(2).equals("f") || !(m.group(3).equals("4") || m.group(3).equals("8"))) {
      throw new IOException("Only little-endian float32/float64 .npy files are supported: " + header.trim());
    }
    if (o.group(1).equals("True")) {
      throw new IOException("Fortran-order .npy files are not supported");
    }
    String[] dims = s.group(1).split(",");
    int rows;
    int cols;
    if (dims.length == 1 || dims[1].isBlank()) {
      rows = 1;
      cols = Integer.parseInt(dims[0].trim());
    } else {
      rows = Integer.parseInt(dims[0].trim());
      cols = Integer.parseInt(dims[1].trim());
    }
    int size = Integer.parseInt(m.group(3));
    long n = (long) rows * cols;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    d.transferTo(raw);
    byte[] bytes = raw.toByteArray();
    if (bytes.length < n * size) {
      throw new IOException(".npy data holds " + bytes.length + " bytes, shape needs " + n * size);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[(int) n];
    for (int i = 0; i < n; i++) {
      values[i] = size == 4 ? b.getFloat() : b.getDouble();
    }
    return new Array2D(rows, cols, values);
  }
}
