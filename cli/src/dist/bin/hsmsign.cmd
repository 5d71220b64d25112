@echo off
rem hsmsign: runs lib\hsmsign.jar of this distribution with %JAVA_HOME%\bin\java.exe, else the java on the PATH.
rem JAVA_OPTS adds options for the JVM (e.g. -Xmx2g). Unlike bin/hsmsign, it keeps no class archive (AppCDS): on Java
rem 17 that needs a training run in the background, which a batch file cannot start and check robustly.
setlocal
set "HSMSIGN_HOME=%~dp0.."
if defined JAVA_HOME (set "HSMSIGN_JAVA=%JAVA_HOME%\bin\java.exe") else (set "HSMSIGN_JAVA=java")
rem The optimising compiler only for really hot code: a signing run lasts seconds, and on few cores compiling merely
rem warm code takes the CPU the signing needs (docs/benchmarks.md, issue 21). JAVA_OPTS comes later and overrides it.
set "HSMSIGN_JIT=-XX:Tier4InvocationThreshold=150000 -XX:Tier4MinInvocationThreshold=60000 -XX:Tier4CompileThreshold=180000 -XX:Tier4BackEdgeThreshold=1200000"
"%HSMSIGN_JAVA%" %HSMSIGN_JIT% %JAVA_OPTS% -jar "%HSMSIGN_HOME%\lib\hsmsign.jar" %*
exit /b %ERRORLEVEL%
