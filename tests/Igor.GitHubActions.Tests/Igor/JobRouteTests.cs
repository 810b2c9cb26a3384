using Igor.GitHubActions.Igor;
using Igor.GitHubActions.Igor.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Igor.GitHubActions.Tests.Igor;

public sealed class JobRouteTests
{
    private static DefaultHttpContext ContextWithRawTarget(string rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        return context;
    }

    private static DefaultHttpContext ContextWithQuery(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);
        return context;
    }

    [Test]
    public void Segments_EncodedSpaceAndQuery_DecodedSegmentsAfterSkip()
    {
        // Arrange
        var context = ContextWithRawTarget("/jobs/m/acme/api/my%20build.yml?x=1");

        // Act
        var segments = JobRoute.Segments(context, skip: 2);

        // Assert
        segments.Should().Equal("acme", "api", "my build.yml");
    }

    [Test]
    public void Segments_EncodedUnicode_DecodedOnce()
    {
        // Arrange
        var context = ContextWithRawTarget("/jobs/m/acme/api/d%C3%A9ploy%2520x.yml");

        // Act
        var segments = JobRoute.Segments(context, skip: 2);

        // Assert
        segments.Should().Equal("acme", "api", "déploy%20x.yml");
    }

    [Test]
    public void Segments_EncodedSlash_StaysInsideOneSegment()
    {
        // Arrange
        var context = ContextWithRawTarget("/jobs/m/acme%2Fapi/build.yml");

        // Act
        var segments = JobRoute.Segments(context, skip: 2);

        // Assert
        segments.Should().Equal("acme/api", "build.yml");
    }

    [Test]
    public void Segments_NoRawTarget_FallsBackToPath()
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = null!;
        context.Request.Path = "/jobs/m/acme/api/build.yml";

        // Act
        var segments = JobRoute.Segments(context, skip: 2);

        // Assert
        segments.Should().Equal("acme", "api", "build.yml");
    }

    [Test]
    public void Segments_InvalidPercentEncoding_LeftAsIs()
    {
        // Arrange: Uri.UnescapeDataString leaves an invalid escape unchanged
        var context = ContextWithRawTarget("/jobs/m/acme/api/b%zzuild.yml");

        // Act
        var segments = JobRoute.Segments(context, skip: 2);

        // Assert
        segments.Should().Equal("acme", "api", "b%zzuild.yml");
    }

    [Test]
    public void ToJob_ThreeSegments_ReturnsJob()
    {
        // Arrange
        var segments = JobRoute.Segments(ContextWithRawTarget("/jobs/m/acme/api/my%20build.yml?x=1"), skip: 2);

        // Act
        var job = JobRoute.ToJob(segments);

        // Assert
        job.Should().Be(new JobName("acme", "api", "my build.yml"));
    }

    [Test]
    public void ToJob_EncodedSlashInOneSegment_ThrowsBadRequest()
    {
        // Arrange
        var segments = JobRoute.Segments(ContextWithRawTarget("/jobs/m/acme%2Fapi/build.yml"), skip: 2);

        // Act
        var act = () => JobRoute.ToJob(segments);

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("*not a job name*");
    }

    [Test]
    public void ToJob_EncodedSlashInFileSegment_ThrowsBadRequest()
    {
        // Arrange
        var segments = JobRoute.Segments(ContextWithRawTarget("/jobs/m/acme/api/sub%2Fbuild.yml"), skip: 2);

        // Act
        var act = () => JobRoute.ToJob(segments);

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("'sub/build.yml' is not a workflow file name*");
    }

    [Test]
    public void ToJob_EncodedDotDotRepository_ThrowsBadRequest()
    {
        // Arrange
        var segments = JobRoute.Segments(ContextWithRawTarget("/jobs/m/acme/%2E%2E/build.yml"), skip: 2);

        // Act
        var act = () => JobRoute.ToJob(segments);

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("'..' is not a GitHub repository name");
    }

    [Test]
    public void ToJob_EncodedNewlineAtEndOfOwner_ThrowsBadRequest()
    {
        // Arrange
        var segments = JobRoute.Segments(ContextWithRawTarget("/jobs/m/acme%0A/api/build.yml"), skip: 2);

        // Act
        var act = () => JobRoute.ToJob(segments);

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest);
    }

    [Test]
    public void ToJob_FourSegments_ThrowsBadRequest()
    {
        // Act
        var act = () => JobRoute.ToJob(["acme", "api", "sub", "build.yml"]);

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("'acme/api/sub/build.yml' is not a job name*");
    }

    [Test]
    public void FromQuery_EncodedJob_DecodedOnce()
    {
        // Arrange
        var context = ContextWithQuery("?job=acme%2Fapi%2Fmy%20build.yml");

        // Act
        var job = JobRoute.FromQuery(context, "job");

        // Assert
        job.Should().Be(new JobName("acme", "api", "my build.yml"));
    }

    [Test]
    public void FromQuery_Missing_ThrowsBadRequestNamingKey()
    {
        // Arrange
        var context = ContextWithQuery("?other=acme%2Fapi%2Fbuild.yml");

        // Act
        var act = () => JobRoute.FromQuery(context, "job");

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("*?job=*");
    }

    [Test]
    public void FromQuery_Duplicated_ThrowsBadRequest()
    {
        // Arrange
        var context = ContextWithQuery("?job=acme%2Fapi%2Fa.yml&job=acme%2Fapi%2Fb.yml");

        // Act
        var act = () => JobRoute.FromQuery(context, "job");

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("*exactly once*");
    }

    [Test]
    public void FromQuery_InvalidJob_ThrowsBadRequest()
    {
        // Arrange
        var context = ContextWithQuery("?job=acme%2Fbuild.yml");

        // Act
        var act = () => JobRoute.FromQuery(context, "job");

        // Assert
        act.Should().Throw<IgorException>()
            .Where(e => e.StatusCode == StatusCodes.Status400BadRequest)
            .WithMessage("*three parts*");
    }
}
