using QRCoder;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// A QR code drawn here, on the server, as a PNG data URI (the Content-Security-Policy allows <c>img-src data:</c>):
/// the authenticator secret it carries never goes to a remote service.
/// </summary>
public static class QrCodeImage
{
    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return $"data:image/png;base64,{Convert.ToBase64String(png)}";
    }
}
