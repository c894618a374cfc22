using System.Security.Cryptography;
using System.Text;

namespace Custodian.Core.Tenancy;

/// <summary>
/// Bearer secrets (API keys, peer tokens): 256 random bits behind a readable prefix, stored only as
/// their SHA-256. A fast hash is enough: with 256 bits of entropy there is nothing to brute-force.
/// </summary>
public static class SecretToken
{
    public const string ApiKeyPrefix = "cust_";
    public const string PeerTokenPrefix = "cbi_";
    public const int HashSize = SHA256.HashSizeInBytes;

    public static string Generate(string prefix) =>
        prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Short random ids for records (API keys), not secrets.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
