using System.Text.Json.Nodes;

namespace CoursePlatform.Functions.Tests.ApiContract;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Generates()
    {
        var document = await ContractDocument.JsonAsync();
        Assert.Equal("3.1.2", document["openapi"]!.GetValue<string>());
    }
}
